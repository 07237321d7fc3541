package io.geolightning.models.torchscript;

import io.geolightning.models.predict.InferenceModel;
import io.geolightning.models.predict.TaskInferenceModel;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Opens the model files prediction takes: a GeoLightning checkpoint ({@code .ckpt}) or a TorchScript model
 * ({@code .pt}, {@code .pth}, {@code .torchscript}, {@code .ts}) with its {@link ModelCard}.
 */
public final class ModelFiles {

    private ModelFiles() {
    }

    /**
     * @param file a model file
     * @return whether it is named as a TorchScript model rather than a checkpoint
     */
    public static boolean isTorchScript(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".torchscript") || name.endsWith(".ts");
    }

    /**
     * @param file a {@code .ckpt} or a TorchScript file
     * @param card the TorchScript model's card, or null for the one beside it (ignored for a checkpoint)
     * @return the model, ready to predict (close it when done)
     * @throws io.geolightning.models.nn.ModelException one line naming the file and the fix
     */
    public static InferenceModel open(Path file, Path card) {
        if (!isTorchScript(file)) {
            return TaskInferenceModel.fromCheckpoint(file);
        }
        return TorchScriptModel.load(file, ModelCard.read(card != null ? card : ModelCard.beside(file)));
    }
}
