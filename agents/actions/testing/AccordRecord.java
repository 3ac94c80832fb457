// Records what calls of a static Java method return or throw, for Accord.
//
// A template: Accord puts the package clause and one `call(...)` line per call where the
// markers are, compiles it with the class under test and runs it in a sandboxed subprocess.
// Each call runs in its own daemon thread; one still running after two seconds is reported as
// hanging. One JSON object per call is printed, after "ACCORD:", with the returned value written
// back as a Java literal (null when it cannot be).
// PACKAGE

final class AccordRecord {
    interface Call {
        Object run() throws Throwable;
    }

    public static void main(String[] arguments) throws Exception {
        // CALLS
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    static void call(String id, Call call) throws InterruptedException {
        String[] line = new String[1];
        Thread thread = new Thread(() -> {
            try {
                String literal = literal(call.run());
                line[0] = literal == null
                    ? item(id, "dropped", "why", "a value Java cannot write back")
                    : item(id, "returns", "value", literal);
            } catch (Throwable error) {
                String raised = item(id, "raises", "name", error.getClass().getCanonicalName());
                line[0] = raised.substring(0, raised.length() - 1)
                    + ",\"message\":" + json(error.getMessage()) + "}";
            }
        });
        thread.setDaemon(true);
        thread.start();
        thread.join(2000);
        System.out.println("ACCORD:" + (line[0] != null ? line[0] : item(id, "dropped", "why", "hangs")));
    }

    static String item(String id, String outcome, String key, String value) {
        return "{\"id\":" + json(id) + ",\"outcome\":" + json(outcome) + ",\"" + key + "\":" + json(value) + "}";
    }

    static String json(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    static String escaped(char c, char quote) {
        if (c == quote || c == '\\') {
            return "\\" + c;
        }
        if (c < 0x20) {
            return String.format("\\%03o", (int) c);
        }
        return c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    static String literal(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String) {
            StringBuilder out = new StringBuilder("\"");
            for (char c : ((String) value).toCharArray()) {
                out.append(escaped(c, '"'));
            }
            return out.append('"').toString();
        }
        if (value instanceof Character) {
            return "'" + escaped((Character) value, '\'') + "'";
        }
        if (value instanceof Double) {
            return Double.isFinite((Double) value) ? value.toString() : null;
        }
        if (value instanceof Float) {
            return Float.isFinite((Float) value) ? value + "f" : null;
        }
        if (value instanceof Long) {
            return value + "L";
        }
        if (value instanceof Short) {
            return "(short) " + value;
        }
        if (value instanceof Byte) {
            return "(byte) " + value;
        }
        if (value instanceof Integer || value instanceof Boolean) {
            return value.toString();
        }
        Class<?> type = value.getClass().getComponentType();
        if (type == null || type.isArray()) {
            return null;
        }
        int length = java.lang.reflect.Array.getLength(value);
        StringBuilder out = new StringBuilder("new " + type.getSimpleName() + "[] {");
        for (int i = 0; i < length; i++) {
            String item = literal(java.lang.reflect.Array.get(value, i));
            if (item == null || item.equals("null") && type.isPrimitive()) {
                return null;
            }
            out.append(i == 0 ? "" : ", ").append(item);
        }
        return out.append("}").toString();
    }
}
