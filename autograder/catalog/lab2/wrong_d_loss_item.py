"""Discriminator loss returned as a Python float (.item()): the value is right, but nothing can be backpropagated
(the 'element 0 of tensors does not require grad and does not have a grad_fn' reports on the PyTorch forums)."""
EXERCISE = "discriminator_loss"
EXPECT = "cannot be backpropagated"
EDIT = [("    return loss_real + loss_fake", "    return (loss_real + loss_fake).item()")]
