/**
 * Between the tiling module's data modules and the trainer: {@link io.geolightning.models.data.LightningDataAdapter}
 * exposes a tiling {@code DataModule} (chip store, scene tiled on demand, image folders) as the trainer's
 * {@code LightningDataModule}; {@link io.geolightning.models.data.DataModuleFactory} builds one from a run
 * configuration's {@code data} section.
 */
package io.geolightning.models.data;
