"""The discriminator is not given the label (znxlwm/pytorch-generative-model-collections issue #13, clvrai/ACGAN-PyTorch
issue #8): D(x) alone lets the generator ignore y."""
EXERCISE = "ConditionalMLPDiscriminator"
EXPECT = "label"
EDIT = [("nn.Linear(image_size * image_size + num_classes, hidden_dim)", "nn.Linear(image_size * image_size, hidden_dim)"),
        ("return self.net(concat_condition(x, y, self.num_classes)).squeeze(1)", "return self.net(x.flatten(1)).squeeze(1)")]
