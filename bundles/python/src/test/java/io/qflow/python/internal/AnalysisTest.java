package io.qflow.python.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Analysis runs in the target interpreter with ast and maps annotations to DataTypes. */
class AnalysisTest {

    @TempDir
    static Path data;
    static PythonFixture python;

    @BeforeAll
    static void start() {
        python = new PythonFixture(data, Map.of("qflow.python.denyImports", "subprocess"));
    }

    @AfterAll
    static void stop() {
        python.close();
    }

    static final String CODE = """
            import numpy as np
            import pandas as pd
            import yaml, os, json
            from PIL import Image
            from sklearn.linear_model import LinearRegression
            from typing import Any, Optional, List, Dict, TypedDict
            from dataclasses import dataclass

            class Totals(TypedDict):
                total: int
                label: str

            @dataclass
            class Point:
                x: float
                y: float

            def score(user: dict, n: int, ratio: float = 0.5, name: str = "x", flag: bool = False,
                      tags: list[str] = [], maybe: Optional[int] = None, anything: Any = None, untyped=3,
                      arr: np.ndarray = None, df: "pd.DataFrame" = None, p: Point = None, m: Dict[str, int] = None,
                      nested: List[list[float]] = None) -> Totals:
                \"\"\"Scores a user.\"\"\"
                return {"total": n, "label": name}

            async def later(x) -> int | None:
                return None
            """;

    JsonNode analyze(String code, String version) throws Exception {
        ObjectNode request = PythonFixture.JSON.createObjectNode().put("code", code);
        if (version != null) {
            request.put("python", version);
        }
        return python.adapter.analyze(request);
    }

    @Test
    void mapsAnnotationsToDataTypes() throws Exception {
        JsonNode a = analyze(CODE, null);
        JsonNode score = CodeAnalyzer.function(a, "score");
        assertNotNull(score, a.toString());
        Map<String, String> expected = Map.ofEntries(Map.entry("user", "object"), Map.entry("n", "integer"),
                Map.entry("ratio", "number"), Map.entry("name", "string"), Map.entry("flag", "boolean"),
                Map.entry("tags", "array<string>"), Map.entry("maybe", "integer?"), Map.entry("anything", "any"),
                Map.entry("untyped", "any"), Map.entry("arr", "python:numpy.ndarray?"), Map.entry("df", "python:pandas.DataFrame?"),
                Map.entry("p", "object{x:number,y:number}?"), Map.entry("m", "object?"), Map.entry("nested", "array<array<number>>?"));
        for (JsonNode p : score.get("parameters")) {
            assertEquals(expected.get(p.get("name").asText()), p.get("type").asText(), p.toString());
        }
        assertTrue(score.at("/parameters/0/required").asBoolean());
        assertFalse(score.at("/parameters/2/required").asBoolean());
        assertEquals("0.5", score.at("/parameters/2/default").asText());
        assertEquals("object{total:integer,label:string}", score.get("returnType").asText());
        assertEquals("Scores a user.", score.get("docstring").asText());
        assertEquals(2, score.get("outputCandidates").size());
        JsonNode later = CodeAnalyzer.function(a, "later");
        assertTrue(later.get("async").asBoolean());
        assertEquals("integer?", later.get("returnType").asText());
    }

    @Test
    void derivesRequirementsFromImportsWithoutTheStandardLibrary() throws Exception {
        JsonNode a = analyze(CODE, null);
        List<String> reqs = PythonFixture.JSON.convertValue(a.get("requirements"), List.class);
        assertEquals(List.of("numpy", "pandas", "pyyaml", "pillow", "scikit-learn"), reqs);
        for (JsonNode imp : a.get("imports")) {
            String module = imp.get("module").asText();
            boolean std = List.of("os", "json", "typing", "dataclasses").contains(module);
            assertEquals(std ? "stdlib" : "third-party", imp.get("kind").asText(), module);
        }
    }

    @Test
    void syntaxErrorsComeBackWithLineAndColumn() throws Exception {
        JsonNode a = analyze("def ok():\n    return 1\n\ndef broken(x:\n    pass\n", null);
        JsonNode error = a.get("syntaxError");
        assertNotNull(error, a.toString());
        assertEquals(4, error.get("line").asInt());
        assertTrue(error.get("column").asInt() > 0);
    }

    @Test
    void runsInTheChosenInterpreter() throws Exception {
        assertTrue(analyze("def f(): pass", "3.11").get("python").asText().startsWith("3.11."));
        assertTrue(analyze("def f(): pass", "3.13").get("python").asText().startsWith("3.13."));
        // match statements parse on 3.10+, the new generic syntax only on 3.12+: the interpreter's own ast decides
        String generic = "def first[T](xs: list[T]) -> T:\n    return xs[0]\n";
        assertTrue(analyze(generic, "3.11").has("syntaxError"));
        assertFalse(analyze(generic, "3.13").has("syntaxError"));
    }

    @Test
    void importPolicyViolationsNameTheLine() throws Exception {
        JsonNode a = analyze("import json\nimport subprocess\n\ndef f():\n    return subprocess.run(['ls'])\n", null);
        assertEquals(1, a.get("violations").size(), a.toString());
        assertTrue(a.get("violations").get(0).asText().startsWith("line 2: import of 'subprocess' is denied"), a.toString());
    }

    /** What the analysis cannot see, the worker refuses when the code runs; libraries still import what they need. */
    @Test
    void importsMadeAtRunTimeObeyThePolicyToo() throws Exception {
        for (String dynamic : List.of("__import__('sub' + 'process')", "importlib.import_module('subprocess.x'[:10])",
                "exec('import subprocess') or 0")) {
            JsonNode r = python.adapter.test(PythonFixture.json(
                    "{\"code\": " + PythonFixture.JSON.writeValueAsString("import importlib\ndef f():\n    return " + dynamic + "\n")
                            + ", \"function\": \"f\"}"));
            assertEquals("python.exception", r.at("/error/code").asText(), dynamic + ": " + r);
            assertTrue(r.at("/error/message").asText().contains("ImportError: import of 'subprocess' is denied by qflow.python.denyImports"),
                    dynamic + ": " + r);
        }
        // webbrowser imports subprocess for itself: a library's import, not the user's
        JsonNode lib = python.adapter.test(PythonFixture.json(
                "{\"code\": \"import importlib\\ndef f():\\n    return importlib.import_module('webbrowser').__name__\\n\", \"function\": \"f\"}"));
        assertTrue(lib.path("passed").asBoolean(), lib.toString());
    }
}
