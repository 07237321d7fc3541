package io.geolightning.models.torchscript;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.geolightning.tiling.data.BandNormalization;
import io.geolightning.models.nn.ModelException;
import io.geolightning.models.nn.ModelFactory;
import io.geolightning.models.nn.NativeCpuGuard;
import io.geolightning.tiling.labels.LabelTask;
import io.geolightning.models.predict.InferenceModel;
import io.geolightning.models.predict.ModelSignature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TorchScript model exported from Python, loaded with DJL's PyTorch engine for prediction.
 *
 * <p>Export in Python with {@code torch.jit.save(torch.jit.trace(model.eval(), example), "model.pt")} (or
 * {@code torch.jit.script}). The model's {@code forward} must take one tensor and return one tensor:
 * <ul>
 *   <li>input: {@code N x bands x H x W}, float32, band-major (NCHW), each band already normalised as
 *       {@code (value - mean[b]) / std[b]} with the {@link TorchScriptSpec#normalization() given statistics}; nodata
 *       samples arrive as 0;</li>
 *   <li>output: logits (or probabilities, see {@link TorchScriptSpec#outputsProbabilities()}), {@code N x C} for a
 *       chip classifier or {@code N x C x H x W} for a segmenter, with the input's H and W.</li>
 * </ul>
 * Loading runs the network once on a zero chip of the spec's size and checks the output shape, so a wrong class
 * count or kind fails here with a clear message rather than in the middle of a scene.
 */
public final class TorchScriptModel implements InferenceModel {

    private static final Logger LOG = LoggerFactory.getLogger(TorchScriptModel.class);

    private final Model model;
    private final TorchScriptSpec spec;
    private final String source;
    private final ParameterStore store;

    private TorchScriptModel(Model model, TorchScriptSpec spec, String source) {
        this.model = model;
        this.spec = spec;
        this.source = source;
        this.store = new ParameterStore(model.getNDManager(), false);
    }

    /**
     * @param file a TorchScript file ({@code .pt}, {@code .pth}, {@code .torchscript}, ...)
     * @param spec what the file does not say about itself
     * @return the loaded model (close it when done)
     * @throws ModelException one line naming the file: missing, not TorchScript, or an output shape that does not
     *     match the spec
     */
    public static TorchScriptModel load(Path file, TorchScriptSpec spec) {
        if (!Files.isRegularFile(file)) {
            throw new ModelException(file + ": no such file; pass the path of a model saved with torch.jit.save");
        }
        NativeCpuGuard.apply();
        String name = file.getFileName().toString();
        Model model = Model.newInstance(name, ModelFactory.ENGINE);
        try {
            model.load(file);
        } catch (MalformedModelException | IOException | EngineException | IllegalArgumentException e) {
            model.close();
            throw new ModelException(file + ": not a TorchScript model DJL's PyTorch engine can load ("
                    + firstLine(e) + "); export it with torch.jit.trace or torch.jit.script and torch.jit.save, not "
                    + "torch.save", e);
        }
        TorchScriptModel loaded = new TorchScriptModel(model, spec, name);
        try {
            loaded.check(file);
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
        LOG.info("{}: loaded TorchScript {} ({} bands -> {} classes)", file, spec.kind(), spec.bands(),
                spec.classes());
        return loaded;
    }

    private void check(Path file) {
        int s = spec.chipSize();
        Shape out;
        try (NDManager m = model.getNDManager().newSubManager()) {
            out = forward(m.zeros(new Shape(1, spec.bands(), s, s))).getShape();
        } catch (EngineException e) {
            throw new ModelException(source + ": running it on a 1 x " + spec.bands() + " x " + s + " x " + s
                    + " float32 input failed (" + firstLine(e) + "); check the band count and chip size", e);
        }
        Shape expected = spec.kind() == LabelTask.CLASSIFICATION ? new Shape(1, spec.classes())
                : new Shape(1, spec.classes(), s, s);
        if (!out.equals(expected)) {
            throw new ModelException(file + ": outputs " + out + " for a 1 x " + spec.bands() + " x " + s + " x " + s
                    + " input, but its model card (task: " + spec.kind().id() + ", classes: " + spec.classes()
                    + ") expects " + expected + "; fix the card's task or classes");
        }
    }

    private NDArray forward(NDArray x) {
        NDList out = model.getBlock().forward(store, new NDList(x), false);
        if (out.size() != 1) {
            throw new ModelException(source + ": forward returned " + out.size() + " tensors; export a model whose "
                    + "forward returns one tensor of logits");
        }
        NDArray y = out.singletonOrThrow();
        if (y.getDataType() == DataType.FLOAT32) {
            return y;
        }
        if (!y.getDataType().isFloating()) {
            throw new ModelException(source + ": forward returned a " + y.getDataType() + " tensor; export a"
                    + " model whose forward returns float logits or probabilities");
        }
        return y.toType(DataType.FLOAT32, false); // a float64 (or half) model's outputs, read as float32
    }

    private static String firstLine(Throwable e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        msg = msg.strip();
        int nl = msg.indexOf('\n');
        return nl > 0 ? msg.substring(0, nl).strip() : msg;
    }

    /** @return the user-given spec */
    public TorchScriptSpec torchScriptSpec() {
        return spec;
    }

    @Override
    public ModelSignature signature() {
        return spec.signature();
    }

    @Override
    public List<String> classNames() {
        return spec.classNames();
    }

    @Override
    public BandNormalization normalization() {
        return spec.normalization();
    }

    @Override
    public java.util.Map<String, String> classColors() {
        return spec.classColors();
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public float[] probabilities(float[] batch, int n, int height, int width) {
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDArray out = forward(m.create(batch, new Shape(n, spec.bands(), height, width)));
            return (spec.outputsProbabilities() ? out : out.softmax(1)).toFloatArray();
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
