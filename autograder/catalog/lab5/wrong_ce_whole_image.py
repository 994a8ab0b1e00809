"""The reconstruction loss averaged over the whole image (mean of mask * error^2 over every element): the hole's error
is diluted by the zeros outside it, so its weight depends on the hole's size."""
EXERCISE = "context_encoder_loss"
EXPECT = "whole image"
EDIT = [("loss_rec = (mask * (x_fill - x_real) ** 2).sum() / (mask.sum() * channels)",
         "loss_rec = (mask * (x_fill - x_real) ** 2).mean()")]
