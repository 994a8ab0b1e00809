"""Softmax before a cross-entropy that expects logits (eriklindernoren/PyTorch-GAN issue #150): the loss cannot go below
log(1 + (K - 1)/e)."""
EXERCISE = "acgan_d_loss"
EXPECT = "softmax before F.cross_entropy"
EDIT = [("F.cross_entropy(class_real, y_real) + F.cross_entropy(class_fake, y_fake)",
         "F.cross_entropy(class_real.softmax(1), y_real) + F.cross_entropy(class_fake.softmax(1), y_fake)")]
