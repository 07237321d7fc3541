/**
 * What every GeoLightning module shares and nothing else: how outputs are published atomically and how the hidden
 * temporary files behind them are named, cleaned on SIGINT/SIGTERM and swept when a killed run left them behind.
 * Depends on SLF4J only.
 */
package io.geolightning.foundation;
