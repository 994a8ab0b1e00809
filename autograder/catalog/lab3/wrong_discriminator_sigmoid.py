"""Discriminator ending in a Sigmoid (as in many public DCGANs written for nn.BCELoss, e.g. pytorch/examples
dcgan/main.py's netD) while the lab's loss is binary_cross_entropy_with_logits, which then squashes twice."""
EXERCISE = "Discriminator"
EXPECT = "Sigmoid"
EDIT = [("layers.append(nn.Conv2d(width, 1, 4, 1, 0, bias=False))",
         "layers += [nn.Conv2d(width, 1, 4, 1, 0, bias=False), nn.Sigmoid()]")]
