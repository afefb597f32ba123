package dev.tributary.config;

/** Amazon Resource Names: {@code arn:<partition>:<service>:<region>:<account>:<resource>}. */
public final class Arns {
    private Arns() {}

    /** The region field of an ARN already checked against its service's pattern. */
    public static String region(String arn) {
        return arn.split(":", 6)[3];
    }
}
