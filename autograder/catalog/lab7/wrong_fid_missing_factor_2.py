"""FID with tr(Sigma1 + Sigma2 - (Sigma1 Sigma2)^(1/2)): the factor 2 on the trace term is missing."""
EXERCISE = "frechet_distance"
EXPECT = "factor 2"
EDIT = [("- 2 * trace_term", "- trace_term")]
