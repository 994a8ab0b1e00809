"""An epsilon added to the denominator 'for safety' (the habit of clipping probabilities to K.epsilon(), as in the
Keras KL divergence discussed in keras-team/keras issue #4788): tiny densities give a ratio near 0."""
EXERCISE = "optimal_discriminator"
EXPECT = "epsilon"
EDIT = [("return p_data / (p_data + p_g)", "return p_data / (p_data + p_g + 1e-8)")]
