package io.geolightning.tiling.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.Batchifier;
import io.geolightning.tiling.TilingException;
import io.geolightning.tiling.labels.LabelTask;
import java.util.SplittableRandom;

/**
 * Turns samples into one batch, the part both loaders share: normalise every sample into an NCHW float block, collect
 * class ids or masks, augment (image and mask together, seeded by the loader seed, the epoch and the sample's key so
 * a sample is augmented the same way whichever thread builds it), then wrap it as a DJL {@link Batch}.
 */
final class BatchAssembly {

    /** Host-side batch built by a worker thread, before any NDArray exists. */
    record HostBatch(float[] images, long[] labels, int n, int bands, int h, int w) {
    }

    private final BandNormalization normalization;
    private final LoaderConfig config;
    private final LabelTask labels;

    BatchAssembly(BandNormalization normalization, LoaderConfig config, LabelTask labels) {
        this.normalization = normalization;
        this.config = config;
        this.labels = labels;
    }

    /**
     * @param samples the batch's samples, in order
     * @param keys each sample's stable key (its index in the source), named in errors and seeding its augmentation
     * @param ep the epoch
     * @return the host batch
     */
    HostBatch build(ChipSample[] samples, long[] keys, int ep) {
        int n = samples.length;
        ChipSample first = samples[0];
        int bands = first.bands();
        int h = first.height();
        int w = first.width();
        if (bands != normalization.bands()) {
            throw new TilingException("sample " + keys[0] + ": " + bands + " bands but the normalisation has "
                    + normalization.bands() + "; use band statistics of the same chip store");
        }
        int plane = bands * h * w;
        float[] images = new float[n * plane];
        long[] lab = switch (labels) {
            case CLASSIFICATION -> new long[n];
            case SEGMENTATION -> new long[n * h * w];
            case NONE -> null;
        };
        for (int i = 0; i < n; i++) {
            ChipSample s = samples[i];
            long key = keys[i];
            if (s.bands() != bands || s.height() != h || s.width() != w) {
                throw new TilingException("sample " + key + ": " + s.bands() + "x" + s.height() + "x" + s.width()
                        + " differs from " + bands + "x" + h + "x" + w + " of its batch; chips of one loader must share"
                        + " a size (resize them or tile with one chip size)");
            }
            normalization.apply(s, images, i * plane);
            if (labels == LabelTask.CLASSIFICATION) {
                if (s.label() == null) {
                    throw new TilingException("sample " + key + ": has no class label; tile in classification mode"
                            + " or load it for prediction");
                }
                lab[i] = s.label();
            } else if (labels == LabelTask.SEGMENTATION) {
                if (s.mask() == null) {
                    throw new TilingException("sample " + key + ": has no mask; tile in segmentation mode or load it"
                            + " for prediction");
                }
                for (int p = 0; p < h * w; p++) {
                    lab[i * h * w + p] = s.mask()[p] & 0xFF;
                }
            }
            if (!config.augmentation().isNone()) {
                SplittableRandom r = new SplittableRandom(config.seed() * 1_000_003L + ep * 65_537L + key);
                config.augmentation().apply(r, images, i * plane, bands, h, w,
                        labels == LabelTask.SEGMENTATION ? lab : null, i * h * w);
            }
        }
        return new HostBatch(images, lab, n, bands, h, w);
    }

    /**
     * @param manager the manager whose sub-manager owns the batch's arrays
     * @param hb the host batch
     * @param progress samples delivered in the epoch, this batch included
     * @param total samples the epoch delivers
     * @return the batch; closing it frees its arrays
     */
    Batch toBatch(NDManager manager, HostBatch hb, long progress, long total) {
        NDManager sub = manager.newSubManager();
        NDArray x = sub.create(hb.images(), new Shape(hb.n(), hb.bands(), hb.h(), hb.w()));
        NDList labelList = new NDList();
        if (labels == LabelTask.CLASSIFICATION) {
            labelList.add(sub.create(hb.labels(), new Shape(hb.n())));
        } else if (labels == LabelTask.SEGMENTATION) {
            labelList.add(sub.create(hb.labels(), new Shape(hb.n(), hb.h(), hb.w())));
        }
        return new Batch(sub, new NDList(x), labelList, hb.n(), Batchifier.STACK, Batchifier.STACK, progress, total);
    }
}
