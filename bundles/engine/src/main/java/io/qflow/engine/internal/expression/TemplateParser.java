package io.qflow.engine.internal.expression;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a config string into literal text and {@code {{ ... }}} expressions. The closing braces are
 * found outside string literals and nested braces, so {@code {{ {'a': {'b': 1}} }}} works.
 */
final class TemplateParser {

    /** A piece of a template: literal text or an expression (text without the braces, trimmed). */
    record Part(boolean expression, String text) {
    }

    private TemplateParser() {
    }

    static boolean isTemplate(String text) {
        return text != null && text.contains("{{");
    }

    static List<Part> parse(String template) throws TemplateSyntaxException {
        List<Part> parts = new ArrayList<>();
        int pos = 0;
        while (pos < template.length()) {
            int open = template.indexOf("{{", pos);
            if (open < 0) {
                parts.add(new Part(false, template.substring(pos)));
                break;
            }
            if (open > pos) {
                parts.add(new Part(false, template.substring(pos, open)));
            }
            int close = findClose(template, open + 2);
            if (close < 0) {
                throw new TemplateSyntaxException("'{{' at position " + open + " is not closed by '}}'");
            }
            String expression = template.substring(open + 2, close).trim();
            if (expression.isEmpty()) {
                throw new TemplateSyntaxException("empty expression '{{ }}' at position " + open);
            }
            parts.add(new Part(true, expression));
            pos = close + 2;
        }
        return parts;
    }

    private static int findClose(String text, int from) {
        int depth = 0;
        char quote = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (depth == 0 && i + 1 < text.length() && text.charAt(i + 1) == '}') {
                    return i;
                }
                depth = Math.max(0, depth - 1);
            }
        }
        return -1;
    }

    static final class TemplateSyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        TemplateSyntaxException(String message) {
            super(message);
        }
    }
}
