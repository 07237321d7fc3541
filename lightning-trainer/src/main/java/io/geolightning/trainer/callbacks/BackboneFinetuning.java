package io.geolightning.trainer.callbacks;

import ai.djl.nn.Parameter;
import io.geolightning.trainer.LightningModule;
import io.geolightning.trainer.Trainer;
import io.geolightning.trainer.TrainerException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lightning's {@code BackboneFinetuning}: the module's backbone ({@link LightningModule#backboneParameters()}) is
 * frozen (no gradients, no updates) for the first {@code unfreezeAtEpoch} epochs, so a new classifier learns on top
 * of pretrained features, and trained with everything else from that epoch on. Stateless: the state follows from the
 * epoch, so a resumed run freezes or not as the uninterrupted one would.
 */
public final class BackboneFinetuning implements Callback {
    private static final Logger LOG = LoggerFactory.getLogger(BackboneFinetuning.class);

    private final int unfreezeAtEpoch;
    private Boolean frozen;
    /** The backbone's parameters that were trainable when frozen: only these are unfrozen (not running stats). */
    private final Set<Parameter> frozenByUs = Collections.newSetFromMap(new IdentityHashMap<>());

    /**
     * @param unfreezeAtEpoch the first epoch (0-based) that trains the backbone; 0 never freezes it
     * @throws TrainerException for a negative epoch
     */
    public BackboneFinetuning(int unfreezeAtEpoch) {
        if (unfreezeAtEpoch < 0) {
            throw new TrainerException("backboneFinetuning.unfreezeAtEpoch " + unfreezeAtEpoch + ": must be at least 0;"
                    + " pass e.g. 2");
        }
        this.unfreezeAtEpoch = unfreezeAtEpoch;
    }

    /** @return the first epoch that trains the backbone */
    public int unfreezeAtEpoch() {
        return unfreezeAtEpoch;
    }

    @Override
    public void onTrainEpochStart(Trainer trainer, LightningModule module) {
        boolean freeze = trainer.currentEpoch() < unfreezeAtEpoch;
        if (frozen != null && frozen == freeze) {
            return;
        }
        List<Parameter> backbone = module.backboneParameters();
        if (backbone.isEmpty()) {
            throw new TrainerException("backboneFinetuning: the module has no backbone to freeze (a network that is not"
                    + " a sequence of layers); remove the callback or give the module backboneParameters()");
        }
        if (freeze) {
            for (Parameter p : backbone) {
                if (p.isInitialized() && p.requiresGradient()) {
                    p.freeze(true);
                    frozenByUs.add(p);
                }
            }
        } else {
            unfreeze();
        }
        frozen = freeze;
        LOG.info("epoch {}: backbone {} ({} parameter arrays)", trainer.currentEpoch(), freeze ? "frozen" : "trained",
                backbone.size());
    }

    @Override
    public void onFitEnd(Trainer trainer, LightningModule module) {
        if (Boolean.TRUE.equals(frozen)) { // leave the network trainable for whatever comes next
            unfreeze();
            frozen = false;
        }
    }

    private void unfreeze() {
        frozenByUs.forEach(p -> p.freeze(false));
        frozenByUs.clear();
    }
}
