"""H(y|x) as -(p * log p) with p from softmax: NaN as soon as a probability underflows to exactly 0.

The textbook entropy -sum p log p written literally (as in scipy-free copies of the Inception Score code, e.g.
the machinelearningmastery-style calculate_inception_score without its eps); log_softmax or xlogy avoids it.
"""
EXERCISE = "entropy_terms"
EXPECT = "0 * log 0 must count as 0"
EDIT = [("h_y_given_x = -(p * log_p).sum(dim=1).mean()", "h_y_given_x = -(p * p.log()).sum(dim=1).mean()")]
