package io.geolightning.trainer.optim;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Chooses the parameters an optimizer updates. Names are DJL's hierarchical names as returned by
 * {@code block.getParameters()} (e.g. {@code 01SequentialBlock_02Linear_weight}).
 */
@FunctionalInterface
public interface ParameterFilter {

    /**
     * Tells whether the optimizer owns this parameter.
     *
     * @param name the hierarchical parameter name
     * @param parameter the parameter
     * @return true to include it
     */
    boolean accept(String name, Parameter parameter);

    /** @return a filter accepting every parameter */
    static ParameterFilter all() {
        return (name, parameter) -> true;
    }

    /**
     * @param prefix the name prefix
     * @return a filter accepting names starting with the prefix
     */
    static ParameterFilter prefix(String prefix) {
        return (name, parameter) -> name.startsWith(prefix);
    }

    /**
     * @param part a substring of the name
     * @return a filter accepting names containing it
     */
    static ParameterFilter contains(String part) {
        return (name, parameter) -> name.contains(part);
    }

    /**
     * Accepts exactly the parameters of a sub-block (e.g. the generator of a GAN); the most robust choice since it
     * does not depend on naming.
     *
     * @param block a child block of the module's block
     * @return a filter accepting that block's parameters
     */
    static ParameterFilter of(Block block) {
        Set<Parameter> own = Collections.newSetFromMap(new IdentityHashMap<>());
        block.getParameters().values().forEach(own::add);
        return (name, parameter) -> own.contains(parameter);
    }
}
