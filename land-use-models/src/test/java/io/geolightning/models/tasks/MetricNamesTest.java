package io.geolightning.models.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.text.Normalizer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-class metric names: one per class, readable in any script, never shared by two classes. */
class MetricNamesTest {

    @Test
    void everyClassGetsItsOwnMetricName() {
        assertEquals(List.of("urbano", "rural", "zona_rural"), LandUseTask.metricNames(List.of("URBANO", "RURAL",
                "Zona Rural")));
        assertEquals(List.of("пляж", "лес", "парковка"), LandUseTask.metricNames(List.of("Пляж", "Лес", "Парковка")),
                "Cyrillic names are kept, not all mapped to one empty name");
        String nfd = Normalizer.normalize("Água", Normalizer.Form.NFD);
        assertEquals(List.of("água", "ñandú_é"), LandUseTask.metricNames(List.of(nfd, "Ñandú é")));
        assertEquals(List.of("zona_rural_0", "zona_rural_1", "class_2", "a"),
                LandUseTask.metricNames(List.of("Zona Rural", "zona-rural", "***", "A")));
    }
}
