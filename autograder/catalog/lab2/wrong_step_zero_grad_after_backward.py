"""opt_d.zero_grad() placed between backward() and step(): every discriminator update uses a zero gradient
(a slip reported again and again on the PyTorch forums: 'my discriminator does not learn')."""
EXERCISE = "train_step"
EXPECT = "between backward() and step()"
EDIT = [("        opt_d.zero_grad()\n        d_loss.backward()\n", "        d_loss.backward()\n        opt_d.zero_grad()\n")]
