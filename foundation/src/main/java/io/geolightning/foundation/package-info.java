/**
 * What every GeoLightning module shares and nothing else: how outputs are published atomically and how the hidden
 * temporary files behind them are named, cleaned on SIGINT/SIGTERM and swept when a killed run left them behind
 * ({@code AtomicFiles}, {@code TempFiles}); the base exception with its user-error/usage-error {@code Kind}
 * ({@code GeoLightningException}), the {@code ExitCodes}, the one-line message formatter ({@code OneLine}) and the
 * rate/ETA progress lines ({@code Progress}). Depends on SLF4J only.
 */
package io.geolightning.foundation;
