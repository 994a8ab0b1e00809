"""The pool stores views of the caller's batch instead of copies, as junyanz/pytorch-CycleGAN-and-pix2pix's
image_pool.py (torch.unsqueeze(image.data, 0)) and eriklindernoren/PyTorch-GAN's ReplayBuffer do: harmless in their
loops, where every batch is a fresh tensor, but a caller that reuses its buffer changes the history in place."""
EXERCISE = "ImagePool"
EXPECT = "store copies"
EDIT = [("self.images.append(image.clone())", "self.images.append(image)"),
        ("self.images[k] = image.clone()", "self.images[k] = image")]
