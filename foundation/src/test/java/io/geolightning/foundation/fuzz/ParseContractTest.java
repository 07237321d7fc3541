package io.geolightning.foundation.fuzz;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParseContractTest {

    static final class ModuleException extends RuntimeException {
        ModuleException(String m) {
            super(m);
        }
    }

    private final ParseContract contract = new ParseContract(ModuleException.class, Duration.ofSeconds(5), 16L << 20);

    @Test
    void acceptsAResultOrTheModulesOneLineError() {
        assertDoesNotThrow(() -> contract.check("in", () -> 42));
        assertDoesNotThrow(() -> contract.check("in", () -> {
            throw new ModuleException("in: damaged; pass an intact file");
        }));
        assertTrue(contract.summary().contains("ModuleException: in: damaged"), contract.summary());
    }

    @Test
    void rejectsOtherExceptionsMultiLineMessagesHangsAndBlowUps() {
        AssertionError npe = assertThrows(AssertionError.class, () -> contract.check("in", () -> {
            throw new NullPointerException();
        }));
        assertTrue(npe.getMessage().contains("got java.lang.NullPointerException for in"), npe.getMessage());
        assertThrows(AssertionError.class, () -> contract.check("in", () -> {
            throw new ModuleException("two\nlines");
        }));
        assertThrows(AssertionError.class, () -> contract.check("in", () -> {
            throw new StackOverflowError();
        }));
        ParseContract quick = new ParseContract(ModuleException.class, Duration.ofMillis(300), 16L << 20);
        AssertionError hang = assertThrows(AssertionError.class, () -> quick.check("in", () -> {
            Thread.sleep(5_000);
            return null;
        }));
        assertTrue(hang.getMessage().contains("(hang)"), hang.getMessage());
        AssertionError big = assertThrows(AssertionError.class, () -> contract.check("in", () -> new byte[64 << 20]));
        assertTrue(big.getMessage().contains("MiB heap"), big.getMessage());
    }

    @Test
    void mutantsDifferFromTheirSeedAndSayHow() {
        byte[] seed = "PK\u0003\u0004 a small archive-like seed of some length".getBytes();
        qt().withExamples(200).forAll(ByteMutations.of(seed, 3)).checkAssert(m -> {
            assertTrue(m.description().matches(".*\\(\\d+ -> \\d+ bytes\\)"), m.description());
        });
        Map<String, Object> doc = Map.of("model", Map.of("architecture", "cnn", "bands", List.of(1, 2, 3)));
        qt().withExamples(200).forAll(TreeMutations.of(doc, 2, false)).checkAssert(m -> {
            assertTrue(m.description().startsWith("$"), m.description());
            String json = TreeMutations.toJson(m.value());
            assertEquals(json.chars().filter(c -> c == '[').count(), json.chars().filter(c -> c == ']').count());
        });
        assertEquals("{\"s\":\"a\\\"\\u000a\"}", TreeMutations.toJson(Map.of("s", "a\"\n")));
    }
}
