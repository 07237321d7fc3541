package io.geolightning.trainer;

import io.geolightning.trainer.callbacks.Callback;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test callback keeping a copy of the callback metrics at each epoch end. */
class MetricsRecorder implements Callback {
    final List<Map<String, Double>> epochs = new ArrayList<>();
    final List<Integer> epochNumbers = new ArrayList<>();

    @Override
    public void onTrainEpochEnd(Trainer trainer, LightningModule module) {
        epochs.add(new LinkedHashMap<>(trainer.callbackMetrics()));
        epochNumbers.add(trainer.currentEpoch());
    }
}
