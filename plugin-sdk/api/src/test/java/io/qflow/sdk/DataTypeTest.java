package io.qflow.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DataTypeTest {

    @ParameterizedTest(name = "{0} accepts {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "string            | string                | true",
        "string            | integer               | false",
        "number            | integer               | true",
        "integer           | number                | false",
        "any               | python:numpy.ndarray  | true",
        "integer           | any                   | true",
        "array<number>     | array<integer>        | true",
        "array<integer>    | array<number>         | false",
        "list              | array<string>         | true",
        "dict              | object{a:integer}     | true",
        "object{a:number}  | object{a:integer,b:string} | true",
        "object{a:string}  | object{b:string}      | false",
        "object{a:string?} | object{b:string}      | true",
        "string            | string?               | false",
        "string?           | string                | true",
        "binary            | string                | false",
        "python:pandas.DataFrame | python:pandas.DataFrame | true",
        "python:pandas.DataFrame | python:numpy.ndarray    | false",
        "python:builtins.object  | python:numpy.ndarray    | true",
        "object            | array<any>            | false",
    })
    void linkingRule(String target, String source, boolean expected) {
        assertEquals(expected, DataType.parse(target).accepts(DataType.parse(source)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "string", "integer?", "array<array<number>>", "object{name:string,age:integer?}",
        "python:numpy.ndarray", "any", "binary", "array<python:pandas.DataFrame>?"})
    void stringFormRoundTrips(String text) {
        assertEquals(text, DataType.parse(text).toString());
    }

    @Test
    void aliasesNormalise() {
        assertEquals(DataType.arrayOf(DataType.ANY), DataType.parse("list"));
        assertEquals(DataType.OBJECT, DataType.parse("dict"));
        assertEquals(DataType.arrayOf(DataType.INTEGER), DataType.parse("list[int]"));
    }

    @Test
    void badTypesAreRejectedWithWhere() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataType.parse("array<strng>"));
        assertTrue(e.getMessage().contains("strng"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataType.parse("object{a:}"));
        assertThrows(IllegalArgumentException.class, () -> DataType.parse(""));
        assertThrows(IllegalArgumentException.class, () -> DataType.parse("string extra"));
    }

    @Test
    void serialisesAsItsStringForm() throws Exception {
        ObjectMapper json = new ObjectMapper();
        PortSpec port = PortSpec.required("in", DataType.parse("array<integer>"), "numbers");
        String text = json.writeValueAsString(port);
        assertTrue(text.contains("\"type\":\"array<integer>\""), text);
        assertEquals(port, json.readValue(text, PortSpec.class));
        assertFalse(DataType.STRING.isNullable());
    }
}
