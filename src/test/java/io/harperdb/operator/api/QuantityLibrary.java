package io.harperdb.operator.api;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelFunctionBinding;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.List;

/**
 * The part of Kubernetes' CEL quantity library ({@code k8s.io/apiserver/pkg/cel/library}, in CRD validation rules
 * from Kubernetes 1.29) that the CRDs use: {@code isQuantity(string)}, {@code quantity(string)} and the comparisons
 * {@code compareTo}, {@code isLessThan}, {@code isGreaterThan}. Quantities are compared by value (1Gi == 1024Mi), as
 * the API server compares them; parsed with fabric8's {@link Quantity}.
 */
final class QuantityLibrary {
    private static final OpaqueType QUANTITY = OpaqueType.create("kubernetes.Quantity");

    /** A parsed quantity, the value CEL passes between the library's functions. */
    record Value(BigDecimal amount) {
        static Value parse(String text) {
            if (!isQuantity(text)) {
                throw new IllegalArgumentException("quantities must match the regular expression " + ApiPatterns.QUANTITY);
            }
            return new Value(Quantity.getAmountInBytes(new Quantity(text)));
        }
    }

    static final List<CelFunctionDecl> DECLARATIONS = List.of(
            CelFunctionDecl.newFunctionDeclaration("isQuantity",
                    CelOverloadDecl.newGlobalOverload("is_quantity_string", SimpleType.BOOL, SimpleType.STRING)),
            CelFunctionDecl.newFunctionDeclaration("quantity",
                    CelOverloadDecl.newGlobalOverload("string_to_quantity", QUANTITY, SimpleType.STRING)),
            CelFunctionDecl.newFunctionDeclaration("compareTo",
                    CelOverloadDecl.newMemberOverload("quantity_compareTo_quantity", SimpleType.INT, QUANTITY, QUANTITY)),
            CelFunctionDecl.newFunctionDeclaration("isLessThan",
                    CelOverloadDecl.newMemberOverload("quantity_isLessThan_quantity", SimpleType.BOOL, QUANTITY, QUANTITY)),
            CelFunctionDecl.newFunctionDeclaration("isGreaterThan",
                    CelOverloadDecl.newMemberOverload("quantity_isGreaterThan_quantity", SimpleType.BOOL, QUANTITY, QUANTITY)));

    static final List<CelFunctionBinding> BINDINGS = List.of(
            CelFunctionBinding.from("is_quantity_string", String.class, QuantityLibrary::isQuantity),
            CelFunctionBinding.from("string_to_quantity", String.class, Value::parse),
            CelFunctionBinding.from("quantity_compareTo_quantity", Value.class, Value.class,
                    (a, b) -> (long) Integer.signum(a.amount().compareTo(b.amount()))),
            CelFunctionBinding.from("quantity_isLessThan_quantity", Value.class, Value.class, (a, b) -> a.amount().compareTo(b.amount()) < 0),
            CelFunctionBinding.from("quantity_isGreaterThan_quantity", Value.class, Value.class, (a, b) -> a.amount().compareTo(b.amount()) > 0));

    private QuantityLibrary() {
    }

    static boolean isQuantity(String text) {
        return text != null && text.matches(ApiPatterns.QUANTITY);
    }
}
