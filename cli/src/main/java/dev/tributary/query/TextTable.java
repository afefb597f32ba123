package dev.tributary.query;

import java.util.List;

/** Rows as a plain-text table: a header, a rule, one line per row, columns padded to their widest cell. */
public final class TextTable {
    private TextTable() {}

    /** The table's lines, each ending with a line break; a null cell prints as {@code null}. */
    public static String render(List<String> columns, List<List<String>> rows) {
        int[] widths = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            widths[c] = columns.get(c).length();
        }
        for (List<String> row : rows) {
            for (int c = 0; c < columns.size(); c++) {
                widths[c] = Math.max(widths[c], String.valueOf(row.get(c)).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int c = 0; c < columns.size(); c++) {
            out.append(c == 0 ? "" : " | ").append(pad(columns.get(c), widths[c]));
        }
        out.append('\n');
        for (int c = 0; c < columns.size(); c++) {
            out.append(c == 0 ? "" : "-+-").append("-".repeat(widths[c]));
        }
        out.append('\n');
        for (List<String> row : rows) {
            for (int c = 0; c < columns.size(); c++) {
                out.append(c == 0 ? "" : " | ").append(pad(String.valueOf(row.get(c)), widths[c]));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String pad(String value, int width) {
        return value + " ".repeat(Math.max(0, width - value.length()));
    }
}
