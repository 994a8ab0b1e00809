"""The sigmoid written as exp(a) / (1 + exp(a)): inf / inf = NaN once exp overflows (a > 88 in float32)."""
EXERCISE = "generator_logit_grad"
EXPECT = "overflows"
EDIT = [("d_prob = torch.sigmoid(fake_logits)", "d_prob = torch.exp(fake_logits) / (1 + torch.exp(fake_logits))")]
