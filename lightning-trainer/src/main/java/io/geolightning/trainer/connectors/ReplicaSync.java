package io.geolightning.trainer.connectors;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterServer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Data-parallel glue for several devices: a DJL {@link ParameterServer} that, when the {@code ParameterStore}
 * calls {@code updateAllParameters()}, sums every replica's gradient into the main copy's gradient (device 0),
 * leaving the update itself to the trainer's optimizers; {@link #broadcast()} then copies the updated main weights
 * back to the replicas. With one device the trainer does not use it. Only the CPU path can be tested here; the
 * multi-GPU path follows DJL's own {@code LocalParameterServer}.
 */
final class ReplicaSync implements ParameterServer {

    private final Map<String, NDArray[]> replicas = new ConcurrentHashMap<>();

    ReplicaSync(Device[] devices) {
        if (devices.length < 2) {
            throw new IllegalArgumentException("ReplicaSync needs at least two devices");
        }
    }

    @Override
    public void init(String parameterId, NDArray[] value) {
        // replicas are created by the ParameterStore itself
    }

    @Override
    public void update(String parameterId, NDArray[] grads, NDArray[] params) {
        replicas.put(parameterId, params);
        NDArray main = grads[0];
        for (int i = 1; i < grads.length; i++) {
            NDArray moved = grads[i].toDevice(main.getDevice(), true);
            main.addi(moved);
            moved.close();
            grads[i].subi(grads[i]);
        }
    }

    /** Copies each main weight to its replicas after the optimizers stepped. */
    void broadcast() {
        for (NDArray[] params : replicas.values()) {
            for (int i = 1; i < params.length; i++) {
                NDArray src = params[0].stopGradient();
                NDArray dst = params[i].stopGradient();
                NDArray moved = src.toDevice(dst.getDevice(), true);
                moved.copyTo(dst);
                moved.close();
                src.close();
                dst.close();
            }
        }
    }

    @Override
    public void close() {
        replicas.clear();
    }
}
