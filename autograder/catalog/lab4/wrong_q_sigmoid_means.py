"""The Q head's continuous prediction squashed to [0, 1] while the codes lie in [-1, 1]
(hwalsuklee/tensorflow-generative-model-collections issue #21: the estimate came out of a softmax/sigmoid)."""
EXERCISE = "infogan_q_loss"
EXPECT = "squashed"
EDIT = [("cont_part = ((c_cont - cont_mean) ** 2 / 2)", "cont_part = ((c_cont - torch.sigmoid(cont_mean)) ** 2 / 2)")]
