"""The class head ends with a softmax and its output then goes into F.cross_entropy (eriklindernoren/PyTorch-GAN acgan.py,
issues #141 and #150, pull request #98; wiseodd/generative-models issue #20; nocotan/pytorch-lightning-gans issue #9)."""
EXERCISE = "ACGANDiscriminator"
EXPECT = "softmax"
EDIT = [("self.classes(h).flatten(1)", "torch.softmax(self.classes(h).flatten(1), dim=1)")]
