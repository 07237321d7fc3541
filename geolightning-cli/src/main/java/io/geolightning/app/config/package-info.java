/**
 * LightningCLI-style run configurations: a YAML file with the sections {@code model}, {@code data}, {@code trainer},
 * {@code callbacks} and {@code optimizer} bound to records ({@link io.geolightning.app.config.RunConfig} and its
 * sections) by {@link io.geolightning.app.config.RunConfigLoader}, with {@code --set section.key=value} overrides.
 * An unknown key is an error that names it and lists the valid keys of its section; the resolved configuration is
 * written back as YAML into each run folder.
 */
package io.geolightning.app.config;
