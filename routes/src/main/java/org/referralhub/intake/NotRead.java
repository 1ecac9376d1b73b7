package org.referralhub.intake;

/**
 * A column, label or top-level field an input carried that its mapping reads nothing from — said back to the sender
 * by name, never dropped in silence — and the canonical field it probably is, when a mapping knows a name close to
 * it (case, accents, spacing, a French or English word for the same thing), or null.
 */
public record NotRead(String name, String probably) {

    @Override
    public String toString() {
        return probably == null ? name : name + " (probably " + probably + ")";
    }
}
