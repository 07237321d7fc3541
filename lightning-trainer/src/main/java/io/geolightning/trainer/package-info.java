/**
 * A PyTorch-Lightning-style training loop for any DJL {@link ai.djl.nn.Block} on any data; nothing geographic.
 *
 * <pre>{@code
 * class Classifier extends LightningModule {
 *     private final Loss loss = Loss.softmaxCrossEntropyLoss();
 *     Classifier() { super(myBlock); }
 *
 *     public NDArray trainingStep(Batch batch, int batchIdx) {
 *         NDArray l = loss.evaluate(batch.getLabels(), forward(batch.getData()));
 *         log("train_loss", l.getFloat(), LogOptions.PROG_BAR);
 *         return l;
 *     }
 *
 *     public void validationStep(Batch batch, int batchIdx) {
 *         log("val_loss", loss.evaluate(batch.getLabels(), forward(batch.getData())).getFloat());
 *     }
 *
 *     public OptimizerConfig configureOptimizers() {
 *         return OptimizerConfig.of(AdamW.builder().schedule(new CosineWarmupLr(1e-3, 1e-5, 100, 5000)).build());
 *     }
 * }
 *
 * try (Classifier model = new Classifier();
 *      Trainer trainer = Trainer.builder().maxEpochs(20).seed(42).deterministic(true)
 *          .callbacks(ModelCheckpoint.builder().monitor("val_loss").saveTopK(3).saveLast(true)
 *                         .filename("epoch={epoch}-val_loss={val_loss:.4f}").build(),
 *                     EarlyStopping.builder("val_loss").patience(5).build(), new LearningRateMonitor())
 *          .loggers(new CsvLogger(root, "run"), new TensorBoardLogger(root, "run")).build()) {
 *     trainer.fit(model, dataModule);            // resume: .ckptPath(Path.of(".../last.ckpt"))
 *     trainer.test(model, dataModule);
 * }
 * }</pre>
 *
 * <p>Every setting is one {@link io.geolightning.trainer.TrainerConfig} value ({@code TrainerConfig.builder()}, run
 * with {@code new Trainer(config)}; {@code Trainer.builder()} builds the trainer from the same settings). The
 * {@link io.geolightning.trainer.Trainer} is a dispatcher: its run state is one
 * {@link io.geolightning.trainer.RunProgress}, the loops are in {@code loops} (fit, training epoch, evaluation,
 * prediction) and what they act through in {@code connectors} (data, callbacks, devices, optimizers, logged metrics,
 * checkpoints), as in PyTorch Lightning's {@code trainer/}.
 *
 * <p>Other sub-packages: {@code optim} (state-exposing optimizers, LR schedules, global-norm clipping),
 * {@code callbacks}, {@code loggers} (CSV and TensorBoard), {@code checkpoint} (the .ckpt format).
 */
package io.geolightning.trainer;
