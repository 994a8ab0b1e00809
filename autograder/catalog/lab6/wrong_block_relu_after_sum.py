"""A ReLU after the residual sum, as in He et al.'s original ResNet block; the CycleGAN generator follows Johnson et
al. 2016, whose blocks return x + block(x) with nothing after the sum (junyanz/pytorch-CycleGAN-and-pix2pix
networks.py ResnetBlock)."""
EXERCISE = "ResidualBlock"
EXPECT = "after the sum"
EDIT = [("return x + self.block(x)", "return torch.relu(x + self.block(x))")]
