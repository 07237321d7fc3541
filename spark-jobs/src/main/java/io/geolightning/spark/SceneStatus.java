package io.geolightning.spark;

/** Outcome of one scene in a job. */
public enum SceneStatus {
    /** The scene's output was written. */
    OK,
    /** The scene could not be processed; its error message says why. Nothing of it is published. */
    FAILED
}
