"""The class term without phi: a learned per-class bias sum(embed(y)) added to the logit, which cannot tell how well x
matches y."""
EXERCISE = "ProjectionHead"
EXPECT = "does not depend on the features"
EDIT = [("(self.embed(y) * features).sum(dim=1)", "self.embed(y).sum(dim=1)")]
