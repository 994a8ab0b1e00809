"""The class embedding is projected on psi's output (after the linear layer) instead of on the features phi(x)."""
EXERCISE = "ProjectionHead"
EXPECT = "multiplies psi's output"
EDIT = [("(self.embed(y) * features).sum(dim=1)", "(self.embed(y) * self.linear(features)).sum(dim=1)")]
