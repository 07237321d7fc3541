package io.geolightning.foundation.fuzz;

/**
 * A generated input and how it was made from its seed, e.g. {@code "flip bit 3 at 1207; truncate to 880"}: the
 * description is what a falsified property prints, so it names the input that broke the parser.
 *
 * @param value the input
 * @param description the edits, one line
 * @param <T> the input's type
 */
public record Mutant<T>(T value, String description) {

    @Override
    public String toString() {
        return description;
    }

    /** By description: a value may contain itself (a YAML alias cycle), so it is never hashed or compared. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Mutant<?> m && m.description.equals(description);
    }

    @Override
    public int hashCode() {
        return description.hashCode();
    }
}
