package org.referralhub.admin;

import java.util.List;

/**
 * An administrator's request the hub refuses, with every reason: the HTTP layer answers it as a problem
 * ({@code status}, {@code type}) listing {@code problems}.
 */
public final class AdminRefusal extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final List<String> problems;

    public AdminRefusal(int status, String type, String title, String detail, List<String> problems) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
        this.problems = problems == null ? List.of() : List.copyOf(problems);
    }

    public AdminRefusal(int status, String type, String title, String detail) {
        this(status, type, title, detail, null);
    }

    public static AdminRefusal notFound(String what) {
        return new AdminRefusal(404, "not-found", "No such resource", "There is no " + what + ".");
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public List<String> problems() {
        return problems;
    }
}
