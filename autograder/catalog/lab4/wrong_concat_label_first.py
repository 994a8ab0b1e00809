"""Concatenation with the label code first ([one_hot(y), h]): the order the docstring fixes matters because the
networks' first layers are judged with their weights (a common variant in public CGANs, e.g. torch.cat((self.label_emb(labels), noise), -1) in eriklindernoren/PyTorch-GAN cgan.py)."""
EXERCISE = "concat_condition"
EXPECT = "flattened input comes first"
EDIT = [("torch.cat([h.flatten(1), code.to(h.dtype)], dim=1)", "torch.cat([code.to(h.dtype), h.flatten(1)], dim=1)")]
