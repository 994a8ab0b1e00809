"""Inception Score computed in the logits' own dtype: float32 logits give a float32-precision score.

torchmetrics' InceptionScore works in the dtype of the features it is given; the contract asks for float64.
"""
EXERCISE = "inception_score"
EXPECT = "float64"
EDIT = [("log_p = torch.log_softmax(logits.double(), dim=1)", "log_p = torch.log_softmax(logits, dim=1)"),
        ("scores = torch.stack(scores)", "scores = torch.stack(scores).double()")]
