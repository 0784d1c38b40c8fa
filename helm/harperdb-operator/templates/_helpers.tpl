{{/* The chart name, or nameOverride. */}}
{{- define "harperdb-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Name of the release's resources: fullnameOverride, else the release name (with the chart name when it lacks it). */}}
{{- define "harperdb-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "harperdb-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every resource. */}}
{{- define "harperdb-operator.labels" -}}
helm.sh/chart: {{ include "harperdb-operator.chart" . }}
{{ include "harperdb-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: harperdb-operator
{{- end }}

{{/* Labels that select the operator pods; never change them (a Deployment's selector is immutable). */}}
{{- define "harperdb-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "harperdb-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "harperdb-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "harperdb-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "harperdb-operator.leaseName" -}}
{{- default (printf "%s-lock" (include "harperdb-operator.fullname" .)) .Values.leaderElection.leaseName }}
{{- end }}

{{- define "harperdb-operator.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
The operator's permissions on the resources it reconciles and manages, for a ClusterRole or for a Role in
each watched namespace. Exactly the verbs it uses, never "*": RbacCoverageTest records what the operator
sends to the API server and checks that these rules grant it, and that every other permission here is one
of its ANTICIPATED list (for managed instances and generated Secrets, which are being written).
*/}}
{{- define "harperdb-operator.rules" -}}
# Its primary resources: informers (list, watch) and reads.
- apiGroups: ["harperdb.io"]
  resources: ["harperclusters", "harpernodes"]
  verbs: ["get", "list", "watch"]
# JOSDK adds and removes the finalizer of HarperNodes by JSON Patch.
- apiGroups: ["harperdb.io"]
  resources: ["harpernodes"]
  verbs: ["patch"]
# Statuses are written by JSON Patch of the status subresource.
- apiGroups: ["harperdb.io"]
  resources: ["harperclusters/status", "harpernodes/status"]
  verbs: ["patch"]
# ownerReferences with blockOwnerDeletion on the managed resources (OwnerReferencesPermissionEnforcement).
- apiGroups: ["harperdb.io"]
  resources: ["harperclusters/finalizers"]
  verbs: ["update"]
# Members' credentials, by reference only: the Secrets that HarperClusters (spec.adminSecret) and HarperNodes
# (spec.authorizationSecret) name are read by name, afresh each round. No list or watch: the operator caches
# no Secret and cannot enumerate them (get reads a Secret whose name it knows; RBAC cannot narrow get by label).
# create: the admin Secret it generates when none exists and no instance can hold another password; a managed
# cluster's CA Secret (<cluster>-ca, never updated) and its members' certificates (<cluster>-tls).
# update: <cluster>-tls only, when a certificate is added (scale-up), renewed or dropped (scale-down).
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "create", "update"]
# What it did and why, as `kubectl describe` shows. The same Event again is read by its name and its count
# raised (patch), as Kubernetes' own recorder aggregates them, instead of a new object each round.
- apiGroups: [""]
  resources: ["events"]
  verbs: ["get", "create", "patch"]
# Managed instances (spec.instances): the StatefulSet, its Services and PodDisruptionBudget, each read from an
# informer (list, watch; labelled managed-by), then created or patched (a JSON Patch from the cached object).
# get: by name, only while the informer has none of a name the cluster needs, to find an object of that name
# that the operator does not manage (it is reported, never taken over). The StatefulSet's
# persistentVolumeClaimRetentionPolicy deletes volume claims on scale-down when storage.deleteClaimsOnScaleDown says so.
- apiGroups: ["apps"]
  resources: ["statefulsets"]
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: [""]
  resources: ["services"]
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["get", "list", "watch", "create", "patch"]
# The NetworkPolicy of a cluster with spec.networkPolicy (or the chart's networkPolicy.enabled): read from an informer,
# created or patched like the Services; delete when it is turned off (only the one the operator made for that cluster);
# get as for the Services, for one of that name that the operator does not manage.
- apiGroups: ["networking.k8s.io"]
  resources: ["networkpolicies"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
# Their pods: an informer for readiness, delete for a rolling restart (one pod at a time), and patch for
# the label harperdb.io/serving that routes client traffic (removed from pods that drain before leaving).
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list", "watch", "delete", "patch"]
# Their data volume claims: an informer (list, watch; labelled app.kubernetes.io/name=harperdb, as the StatefulSet
# controller labels them from the claim template), and patch to resize them when storage.size grows. Also listed
# by the cluster's labels while its admin Secret is missing: a claim means an instance may hold the password it
# was installed with, so none is generated (docs/admin-secret.md).
- apiGroups: [""]
  resources: ["persistentvolumeclaims"]
  verbs: ["list", "watch", "patch"]
# Clusters with spec.tls.issuerRef only: a cert-manager Certificate per member, listed each round by the cluster's
# labels (no informer, so that the operator runs without cert-manager), created, updated back to the spec the operator
# sets, deleted when its ordinal is gone. Their Secrets are read by name (get, above).
- apiGroups: ["cert-manager.io"]
  resources: ["certificates"]
  verbs: ["list", "create", "update", "delete"]
{{- end }}
