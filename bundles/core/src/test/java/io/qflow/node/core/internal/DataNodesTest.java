package io.qflow.node.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qflow.sdk.NodeException;
import io.qflow.sdk.testkit.NodeHarness;
import org.junit.jupiter.api.Test;

class DataNodesTest {

    // --- core.set

    @Test
    void setBuildsNestedObjectsWithDotNotation() {
        NodeHarness.of(new SetNode()).config("{\"values\": {\"user.name\": \"Ada\", \"user.id\": 7, \"ok\": true}}").run()
                .assertEmits("out", "{\"user\": {\"name\": \"Ada\", \"id\": 7}, \"ok\": true}");
    }

    @Test
    void setKeepsDotsInNamesWhenDotNotationIsOff() {
        NodeHarness.of(new SetNode()).config("{\"values\": {\"a.b\": 1}, \"dotNotation\": false}").run()
                .assertEmits("out", "{\"a.b\": 1}");
    }

    @Test
    void setOverlaysTheInputWhenKeepInputIsOn() {
        NodeHarness.of(new SetNode()).config("{\"values\": {\"b\": 2, \"c.d\": 3}, \"keepInput\": true}")
                .input("in", "{\"a\": 1, \"b\": 1, \"c\": {\"e\": 4}}").run()
                .assertEmits("out", "{\"a\": 1, \"b\": 2, \"c\": {\"e\": 4, \"d\": 3}}");
        // without keepInput the input is only there for expressions
        NodeHarness.of(new SetNode()).config("{\"values\": {\"b\": 2}}").input("in", "{\"a\": 1}").run()
                .assertEmits("out", "{\"b\": 2}");
    }

    @Test
    void setRefusesToKeepANonObjectInput() {
        NodeHarness.of(new SetNode()).config("{\"keepInput\": true}").input("in", "[1]").runExpectingFailure("data.invalid");
        NodeHarness.of(new SetNode()).config("{\"values\": [1]}").runExpectingFailure("config.invalid");
    }

    @Test
    void setValuesMayBeExpressions() {
        // needs the engine's expression evaluator
        NodeHarness.of(new SetNode()).config("{\"values\": {\"x\": \"{{ in.a + 1 }}\", \"msg\": \"hi {{ input.who }}\"}}")
                .input("in", "{\"a\": 1}").runInput("{\"who\": \"Ada\"}").run()
                .assertEmits("out", "{\"x\": 2, \"msg\": \"hi Ada\"}");
    }

    // --- core.filter

    @Test
    void filterWithAConstantCondition() {
        NodeHarness.of(new FilterNode()).config("{\"condition\": false}").input("in", "[1, 2]").run()
                .assertEmits("out", "[]").assertEmits("discarded", "[1, 2]");
    }

    @Test
    void filterRefusesANonArrayAndAMissingCondition() {
        NodeHarness.of(new FilterNode()).config("{\"condition\": true}").input("in", "{}").runExpectingFailure("data.invalid");
        NodeHarness.of(new FilterNode()).input("in", "[]").runExpectingFailure("config.invalid");
    }

    @Test
    void filterEvaluatesTheConditionPerItem() {
        // needs the engine's expression evaluator
        NodeHarness.of(new FilterNode()).config("{\"condition\": \"{{ item.price > 10 && index > 0 }}\"}")
                .input("in", "[{\"price\": 20}, {\"price\": 5}, {\"price\": 30}]").run()
                .assertEmits("out", "[{\"price\": 30}]")
                .assertEmits("discarded", "[{\"price\": 20}, {\"price\": 5}]");
    }

    @Test
    void filterRefusesAConditionThatIsNotBoolean() {
        // needs the engine's expression evaluator
        NodeException e = NodeHarness.of(new FilterNode()).config("{\"condition\": \"{{ item.price }}\"}")
                .input("in", "[{\"price\": 20}]").runExpectingFailure("config.invalid");
        assertTrue(e.getMessage().contains("item 0"), e.getMessage());
    }

    // --- core.sort

    private static final String PEOPLE = "[{\"n\": \"b\", \"age\": 30}, {\"n\": \"a\", \"age\": 4}, {\"n\": \"c\"},"
            + " {\"n\": \"d\", \"age\": 30}, {\"n\": \"e\", \"age\": null}]";

    @Test
    void sortsNumbersNumericallyWithNullsLastAndStably() {
        NodeHarness.of(new SortNode()).config("{\"by\": [{\"field\": \"age\"}]}").input("in", PEOPLE).run()
                .assertEmits("out", "[{\"n\": \"a\", \"age\": 4}, {\"n\": \"b\", \"age\": 30}, {\"n\": \"d\", \"age\": 30},"
                        + " {\"n\": \"c\"}, {\"n\": \"e\", \"age\": null}]");
    }

    @Test
    void sortsDescendingOnSeveralKeysKeepingNullsLast() {
        NodeHarness.of(new SortNode()).config("{\"by\": [{\"field\": \"age\", \"order\": \"desc\"}, {\"field\": \"n\", \"order\": \"desc\"}]}")
                .input("in", PEOPLE).run()
                .assertEmits("out", "[{\"n\": \"d\", \"age\": 30}, {\"n\": \"b\", \"age\": 30}, {\"n\": \"a\", \"age\": 4},"
                        + " {\"n\": \"e\", \"age\": null}, {\"n\": \"c\"}]");
    }

    @Test
    void sortsByNestedPathsAndPlainValues() {
        NodeHarness.of(new SortNode()).config("{\"by\": [{\"field\": \"a.b\"}]}")
                .input("in", "[{\"a\": {\"b\": \"z\"}}, {\"a\": {\"b\": \"Z\"}}, {\"a\": {\"b\": \"m\"}}]").run()
                .assertEmits("out", "[{\"a\": {\"b\": \"Z\"}}, {\"a\": {\"b\": \"m\"}}, {\"a\": {\"b\": \"z\"}}]");
        NodeHarness.of(new SortNode()).input("in", "[10, 9, 100, 1.5]").run().assertEmits("out", "[1.5, 9, 10, 100]");
    }

    @Test
    void sortRefusesBadInput() {
        NodeHarness.of(new SortNode()).input("in", "\"abc\"").runExpectingFailure("data.invalid");
        NodeHarness.of(new SortNode()).config("{\"by\": [{\"field\": \"a\", \"order\": \"up\"}]}").input("in", "[]")
                .runExpectingFailure("config.invalid");
    }

    // --- core.limit

    @Test
    void limitKeepsTheFirstOrLastItems() {
        NodeHarness.of(new LimitNode()).config("{\"count\": 2}").input("in", "[1, 2, 3]").run().assertEmits("out", "[1, 2]");
        NodeHarness.of(new LimitNode()).config("{\"count\": 2, \"from\": \"end\"}").input("in", "[1, 2, 3]").run().assertEmits("out", "[2, 3]");
        NodeHarness.of(new LimitNode()).config("{\"count\": 5}").input("in", "[1]").run().assertEmits("out", "[1]");
        NodeHarness.of(new LimitNode()).config("{\"count\": 0}").input("in", "[1]").run().assertEmits("out", "[]");
    }

    @Test
    void limitRefusesANegativeCount() {
        NodeHarness.of(new LimitNode()).config("{\"count\": -1}").input("in", "[1]").runExpectingFailure("config.invalid");
        NodeHarness.of(new LimitNode()).config("{\"count\": 1.5}").input("in", "[1]").runExpectingFailure("config.invalid");
    }

    // --- core.aggregate

    private static final String ORDERS = "[{\"country\": \"FR\", \"price\": 10}, {\"country\": \"DE\", \"price\": 5},"
            + " {\"country\": \"FR\", \"price\": 7}, {\"country\": \"DE\", \"price\": 2.5}, {\"country\": \"FR\"}]";

    @Test
    void aggregateGroupsAndComputes() {
        NodeHarness.of(new AggregateNode())
                .config("{\"groupBy\": [\"country\"], \"aggregations\": [{\"op\": \"count\", \"as\": \"orders\"},"
                        + " {\"op\": \"sum\", \"field\": \"price\", \"as\": \"total\"}, {\"op\": \"avg\", \"field\": \"price\"},"
                        + " {\"op\": \"min\", \"field\": \"price\"}, {\"op\": \"max\", \"field\": \"price\"}]}")
                .input("in", ORDERS).run()
                .assertEmits("out", "[{\"country\": \"FR\", \"orders\": 3, \"total\": 17, \"avg_price\": 8.5, \"min_price\": 7, \"max_price\": 10},"
                        + " {\"country\": \"DE\", \"orders\": 2, \"total\": 7.5, \"avg_price\": 3.75, \"min_price\": 2.5, \"max_price\": 5}]");
    }

    @Test
    void integerSumsStayIntegers() {
        var out = NodeHarness.of(new AggregateNode())
                .config("{\"aggregations\": [{\"op\": \"sum\", \"field\": \"n\"}]}")
                .input("in", "[{\"n\": 1}, {\"n\": 2}]").run().output("out");
        assertTrue(out.get(0).get("sum_n").isIntegralNumber(), out.toString());
        assertEquals(3, out.get(0).get("sum_n").asInt());
    }

    @Test
    void aggregateOverNoItemsGivesOneEmptyGroup() {
        NodeHarness.of(new AggregateNode())
                .config("{\"aggregations\": [{\"op\": \"count\"}, {\"op\": \"sum\", \"field\": \"n\"}, {\"op\": \"avg\", \"field\": \"n\"}]}")
                .input("in", "[]").run()
                .assertEmits("out", "[{\"count\": 0, \"sum_n\": 0, \"avg_n\": null}]");
    }

    @Test
    void aggregateRefusesNonNumbersNamingTheItem() {
        NodeException e = NodeHarness.of(new AggregateNode())
                .config("{\"aggregations\": [{\"op\": \"sum\", \"field\": \"price\"}]}")
                .input("in", "[{\"price\": 1}, {\"price\": \"2\"}]").runExpectingFailure("data.invalid");
        assertTrue(e.getMessage().contains("item 1"), e.getMessage());
        NodeHarness.of(new AggregateNode()).input("in", "[1]").runExpectingFailure("data.invalid");
        NodeHarness.of(new AggregateNode()).config("{\"aggregations\": [{\"op\": \"median\", \"field\": \"x\"}]}")
                .input("in", "[]").runExpectingFailure("config.invalid");
        NodeHarness.of(new AggregateNode()).config("{\"aggregations\": [{\"op\": \"sum\"}]}")
                .input("in", "[]").runExpectingFailure("config.invalid");
    }

    // --- core.json.parse / core.json.stringify

    @Test
    void parsesJson() {
        NodeHarness.of(new JsonParseNode()).inputText("in", "{\"a\": [1, true, null]}").run()
                .assertEmits("out", "{\"a\": [1, true, null]}");
    }

    @Test
    void invalidJsonNamesLineAndColumn() {
        NodeException e = NodeHarness.of(new JsonParseNode()).inputText("in", "{\n  \"a\": 1,\n  oops\n}")
                .runExpectingFailure("json.invalid");
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        assertTrue(e.getMessage().contains("column"), e.getMessage());
        NodeHarness.of(new JsonParseNode()).inputText("in", "").runExpectingFailure("json.invalid");
        NodeHarness.of(new JsonParseNode()).input("in", "{\"already\": \"parsed\"}").runExpectingFailure("data.invalid");
    }

    @Test
    void stringifiesJson() {
        NodeHarness.of(new JsonStringifyNode()).input("in", "{\"a\": [1, \"x\"]}").run()
                .assertEmits("out", "\"{\\\"a\\\":[1,\\\"x\\\"]}\"");
        String pretty = NodeHarness.of(new JsonStringifyNode()).config("{\"pretty\": true}").input("in", "{\"a\": 1}").run()
                .output("out").textValue();
        assertTrue(pretty.contains("\n"), pretty);
        NodeHarness.of(new JsonStringifyNode()).config("{\"pretty\": \"yes\"}").input("in", "1").runExpectingFailure("config.invalid");
    }

    // --- core.csv.read / core.csv.write

    @Test
    void readsCsvWithHeaderAndQuoting() {
        NodeHarness.of(new CsvReadNode()).inputText("in", "name,note\nAda,\"likes, commas\"\n\"Bob \"\"B\"\"\",\"two\nlines\"\n").run()
                .assertEmits("out", "[{\"name\": \"Ada\", \"note\": \"likes, commas\"}, {\"name\": \"Bob \\\"B\\\"\", \"note\": \"two\\nlines\"}]");
    }

    @Test
    void readsCsvInferringTypesWithAnotherDelimiter() {
        NodeHarness.of(new CsvReadNode()).config("{\"delimiter\": \";\", \"inferTypes\": true}")
                .inputText("in", "id;price;ok;zip\n1;2.5;true;01234\n").run()
                .assertEmits("out", "[{\"id\": 1, \"price\": 2.5, \"ok\": true, \"zip\": \"01234\"}]");
    }

    @Test
    void readsCsvWithoutHeaderAsArrays() {
        NodeHarness.of(new CsvReadNode()).config("{\"header\": false, \"delimiter\": \"\\\\t\"}")
                .inputText("in", "a\tb\n1\t2\n").run()
                .assertEmits("out", "[[\"a\", \"b\"], [\"1\", \"2\"]]");
    }

    @Test
    void csvReadRefusesBadInput() {
        NodeHarness.of(new CsvReadNode()).input("in", "[1]").runExpectingFailure("data.invalid");
        NodeHarness.of(new CsvReadNode()).config("{\"delimiter\": \"ab\"}").inputText("in", "a").runExpectingFailure("config.invalid");
        NodeException e = NodeHarness.of(new CsvReadNode()).inputText("in", "a,b\n1,2,3\n").runExpectingFailure("csv.invalid");
        assertTrue(e.getMessage().contains("line"), e.getMessage());
    }

    @Test
    void writesCsvWithUnionOfColumnsAndQuoting() {
        NodeHarness.of(new CsvWriteNode())
                .input("in", "[{\"a\": 1, \"b\": \"x, y\"}, {\"b\": \"say \\\"hi\\\"\", \"c\": true, \"d\": {\"n\": 1}}]").run()
                .assertEmits("out", "\"a,b,c,d\\n1,\\\"x, y\\\",,\\n,\\\"say \\\"\\\"hi\\\"\\\"\\\",true,\\\"{\\\"\\\"n\\\"\\\":1}\\\"\\n\"");
    }

    @Test
    void writesCsvWithExplicitColumnsNoHeaderAndDelimiter() {
        NodeHarness.of(new CsvWriteNode()).config("{\"columns\": [\"b\", \"a\"], \"header\": false, \"delimiter\": \";\"}")
                .input("in", "[{\"a\": 1, \"b\": 2, \"c\": 3}]").run()
                .assertEmits("out", "\"2;1\\n\"");
    }

    @Test
    void csvRoundTrip() {
        String rows = "[{\"name\": \"Ada\", \"note\": \"line\\nbreak, comma\"}, {\"name\": \"Bob\", \"note\": \"\"}]";
        String csv = NodeHarness.of(new CsvWriteNode()).input("in", rows).run().output("out").textValue();
        NodeHarness.of(new CsvReadNode()).inputText("in", csv).run().assertEmits("out", rows);
    }

    @Test
    void csvWriteRefusesNonObjects() {
        NodeException e = NodeHarness.of(new CsvWriteNode()).input("in", "[{\"a\": 1}, 2]").runExpectingFailure("data.invalid");
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
    }
}
