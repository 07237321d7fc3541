package io.geolightning.app.cli;

import io.geolightning.foundation.ExitCodes;
import io.geolightning.models.tasks.LandUseTask;
import io.geolightning.models.weights.ModelExport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code geolightning export}: a trained network for Python: its weights as a PyTorch state dict ({@code model.npz} or
 * {@code model.safetensors}; torchvision's names for the ResNets), a model card ({@code model.json}) and
 * {@code geolightning_models.py}, whose {@code load("model.json")} rebuilds any of them in PyTorch.
 */
@Command(name = "export", description = "Write a trained model for Python: its weights as a PyTorch state dict (.npz"
        + " or .safetensors; torchvision's names for resnet18/34/50), a model card (model.json: architecture and"
        + " options, bands, classes, normalisation) and geolightning_models.py, whose load('model.json') rebuilds the"
        + " model in PyTorch.")
final class ExportCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", required = true, paramLabel = "CKPT", description = "Checkpoint (.ckpt) from train.")
    Path checkpoint;

    @Option(names = "--format", defaultValue = "npz", paramLabel = "FORMAT",
            description = "npz or safetensors. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--out", required = true, paramLabel = "FOLDER", description = "Folder to write into.")
    Path out;

    @Option(names = "--overwrite", description = "Replace an earlier export in the folder.")
    boolean overwrite;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        OptionChecks checks = new OptionChecks(spec);
        ModelExport.Format f;
        try {
            f = ModelExport.Format.parse(format);
        } catch (RuntimeException e) {
            throw checks.usage(e.getMessage());
        }
        checks.localOutput("--out", out);
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw checks.usage("--out " + out + ": is a file; pass a folder to write model." + f.name()
                    .toLowerCase(java.util.Locale.ROOT) + ", model.json and " + ModelExport.MODULE + " into");
        }
        if (!Files.isRegularFile(checkpoint)) {
            throw new CliException(checkpoint + ": checkpoint file not found; pass a .ckpt from a run's checkpoints/"
                    + " folder");
        }
        String name = checkpoint.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".torchscript")) {
            throw new CliException(checkpoint + ": a PyTorch file, not a GeoLightning checkpoint; export converts a"
                    + " .ckpt written by train (a TorchScript .pt loads in Python as it is, with torch.jit.load)");
        }
        for (Path existing : List.of(out.resolve("model." + format.toLowerCase(java.util.Locale.ROOT)),
                out.resolve("model.json"), out.resolve(ModelExport.MODULE))) {
            if (Files.exists(existing) && !overwrite) {
                throw new CliException(existing + ": exists; pass --overwrite to replace it or choose another --out");
            }
        }
        List<Path> written;
        try (LandUseTask task = LandUseTask.load(checkpoint)) {
            written = ModelExport.export(task, out, f, overwrite);
        }
        PrintWriter w = spec.commandLine().getOut();
        written.forEach(p -> w.println("wrote " + p.toAbsolutePath()));
        w.flush();
        return ExitCodes.OK;
    }
}
