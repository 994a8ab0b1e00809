"""Entropies in bits (log base 2), so ln IS != H(y) - H(y|x)."""
EXERCISE = "entropy_terms"
EXPECT = "log base 2"
EDIT = [("return float(h_y), float(h_y_given_x)", "return float(h_y) / math.log(2), float(h_y_given_x) / math.log(2)")]
