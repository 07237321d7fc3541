package io.geolightning.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@code info} on a model card gives its weights' size in a unit that shows it: a small network's read "0.0 MB". */
class ModelCardDescriberTest {

    @Test
    void sizesAreShownInAUnitThatShowsThem() {
        assertEquals("512 B", ModelCardDescriber.size(512));
        assertEquals("22.0 KB", ModelCardDescriber.size(22_016));
        assertEquals("44.7 MB", ModelCardDescriber.size(44_700_000));
    }
}
