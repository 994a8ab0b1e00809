"""Generator loss that returns the saturating minimax loss log(1 - D(G(z))) where the non-saturating one is asked."""
EXERCISE = "generator_loss"
EXPECT = "saturating loss"
EDIT = [("    return F.softplus(-fake_logits).mean()", "    return -F.softplus(fake_logits).mean()")]
