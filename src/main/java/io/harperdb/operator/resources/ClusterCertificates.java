package io.harperdb.operator.resources;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The X.509 part of the operator's TLS: a CA per cluster, and a certificate per managed member for its
 * replication hostname, signed by that CA, with serverAuth and clientAuth (a member is the server of the
 * links others open to it and the client of those it opens). Keys are EC P-256 (small and fast; Node.js,
 * which HarperDB runs on, takes them). PEM in and out, as HarperDB reads files. Pure: no Kubernetes here.
 */
public final class ClusterCertificates {
    static final String SIGNATURE = "SHA256withECDSA";
    /** Certificates start a little in the past, so that a member whose clock runs behind accepts them at once. */
    static final Duration BACKDATE = Duration.ofMinutes(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    private ClusterCertificates() {
    }

    /** A certificate and its private key. */
    public record Issued(X509Certificate certificate, PrivateKey key) {
        public Instant notAfter() {
            return certificate.getNotAfter().toInstant();
        }

        public String certificatePem() {
            return pem(certificate);
        }

        /** PKCS#8 ("PRIVATE KEY"), which Node.js and the JDK read alike. */
        public String keyPem() {
            try {
                return pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null).generate());
            } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
                throw new IllegalStateException("cannot encode a private key", e);
            }
        }

        @Override
        public String toString() {    // never the key
            return "Issued[" + certificate.getSubjectX500Principal().getName() + ", notAfter=" + notAfter() + "]";
        }
    }

    /** A new self-signed CA, allowed to sign member certificates only (path length 0). */
    public static Issued newAuthority(String commonName, Instant now, Duration validity) {
        KeyPair keys = newKeyPair();
        X500Name subject = name(commonName);
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return new Issued(sign(builder, keys.getPrivate()), keys.getPrivate());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a CA certificate", e);
        }
    }

    /** A member's certificate: CN and the only SAN are {@code hostname}; serverAuth and clientAuth. */
    public static Issued issue(Issued authority, String hostname, Instant now, Duration validity) {
        KeyPair keys = newKeyPair();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            Instant notAfter = now.plus(validity);
            // never past the CA: a chain is only as valid as its CA
            if (notAfter.isAfter(authority.notAfter())) {
                notAfter = authority.notAfter();
            }
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(authority.certificate(), serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(notAfter), name(hostname), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(new KeyPurposeId[]{KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, hostname)))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(authority.certificate().getPublicKey()));
            return new Issued(sign(builder, authority.key()), keys.getPrivate());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a certificate for " + hostname, e);
        }
    }

    /** A certificate and key from PEM; IllegalArgumentException when either does not parse (the message names no content). */
    public static Issued parse(String certificatePem, String keyPem) {
        return new Issued(parseCertificate(certificatePem), parseKey(keyPem));
    }

    public static X509Certificate parseCertificate(String pem) {
        Object read = read(pem, "certificate");
        if (!(read instanceof X509CertificateHolder holder)) {
            throw new IllegalArgumentException("not a PEM certificate");
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a usable certificate", e);
        }
    }

    static PrivateKey parseKey(String pem) {
        Object read = read(pem, "private key");
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (read instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (read instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a usable private key");
        }
        throw new IllegalArgumentException("not a PEM private key");
    }

    /** The certificates of a PEM bundle, in order; empty when it holds none or does not parse. */
    public static List<X509Certificate> parseBundle(String pem) {
        if (pem == null || pem.isBlank()) {
            return List.of();
        }
        try {
            return java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificates(new java.io.ByteArrayInputStream(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                    .stream().filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast).toList();
        } catch (CertificateException e) {
            return List.of();
        }
    }

    /** The same certificate (same encoding). */
    public static boolean same(X509Certificate a, X509Certificate b) {
        try {
            return java.util.Arrays.equals(a.getEncoded(), b.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            return false;
        }
    }

    /** The certificate was signed by {@code authority}'s key. */
    public static boolean signedBy(X509Certificate certificate, X509Certificate authority) {
        try {
            certificate.verify(authority.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The private key belongs to the certificate: it signs what the certificate's public key verifies. */
    public static boolean matches(Issued issued) {
        PublicKey expected = issued.certificate().getPublicKey();
        byte[] probe = "probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try {
            String algorithm = signatureFor(issued.key());
            java.security.Signature sign = java.security.Signature.getInstance(algorithm);
            sign.initSign(issued.key());
            sign.update(probe);
            byte[] signature = sign.sign();
            java.security.Signature verify = java.security.Signature.getInstance(algorithm);
            verify.initVerify(expected);
            verify.update(probe);
            return verify.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * The signature algorithm for a key: the operator's own CAs are EC, a user's CA (spec.tls.caSecret) may be RSA or
     * Ed25519 as well.
     */
    static String signatureFor(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> SIGNATURE;
        };
    }

    /** The DNS names of a certificate's subjectAltName. */
    public static List<String> dnsNames(X509Certificate certificate) {
        try {
            var names = certificate.getSubjectAlternativeNames();
            return names == null ? List.of() : names.stream()
                    .filter(n -> n.size() == 2 && Integer.valueOf(GeneralName.dNSName).equals(n.get(0)))
                    .map(n -> String.valueOf(n.get(1)))
                    .toList();
        } catch (CertificateException e) {
            return List.of();
        }
    }

    static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static Object read(String pem, String what) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException("no " + what);
        }
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object read = parser.readObject();
            if (read == null) {
                throw new IllegalArgumentException("not a PEM " + what);
            }
            return read;
        } catch (IOException e) {
            throw new IllegalArgumentException("not a PEM " + what);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) throws CertificateException {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(signatureFor(signer)).build(signer)));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign a certificate", e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no EC P-256 key generator", e);
        }
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }

    /** 127 random bits: positive, unique in practice (RFC 5280 allows up to 20 octets). */
    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }
}
