package io.geolightning.models.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The scale check's rule on normalised values, band by band; the scene-level case is in ScenePredictorTest. */
class InputScaleTest {

    /** @return the warning for 5,000 values per band: band 1 like the training data, band 2 {@code a + b * N(0,1)} */
    static Optional<String> second(double a, double b) {
        InputScale scale = new InputScale(new int[] {4, 7});
        Random r = new Random(1);
        for (int i = 0; i < 5000; i++) {
            scale.add(0, (float) r.nextGaussian());
            scale.add(1, (float) (a + b * r.nextGaussian()));
        }
        return scale.warning("s.tif", "m.ckpt");
    }

    @Test
    void bandsLikeTheTrainingDataPassAndOthersAreNamed() {
        assertEquals(Optional.empty(), second(0, 1), "like the training data");
        assertEquals(Optional.empty(), second(4, 3), "a brighter, more varied scene");
        String sixteen = second(500, 250).orElseThrow(); // 8-bit statistics, 16-bit values
        assertTrue(sixteen.startsWith("s.tif: band 7 is far from the data m.ckpt was trained on (its values sit 50"),
                sixteen);
        assertTrue(second(0, 30).isPresent(), "spread 30 times as wide");
        assertTrue(second(-2, 0.0005).isPresent(), "reflectance in 0..1 against digital numbers");
        assertEquals(Optional.empty(), second(3, 0), "a constant band (alpha) says nothing about its scale");
    }

    @Test
    void tooFewPixelsSayNothing() {
        InputScale scale = new InputScale(new int[] {1});
        for (int i = 0; i < InputScale.MIN_PIXELS - 1; i++) {
            scale.add(0, 1000f + i);
        }
        assertEquals(Optional.empty(), scale.warning("s.tif", "m.ckpt"));
        scale.add(0, 1000f);
        assertTrue(scale.warning("s.tif", "m.ckpt").isPresent());
    }
}
