"""The D step uses the fake without detach, so D's backward also runs through G (and needs retain_graph=True to let
the G step backpropagate again): aladdinpersson/Machine-Learning-Collection pull request #155 ("added
retain_graph=True in Discriminator"), alterzero/DBPN-Pytorch issue #37, heykeetae/Self-Attention-GAN issue #48."""
EXERCISE = "pix2pix_step"
EXPECT = "detach"
EDIT = [("D(conditional_d_input(x, y_fake.detach()))", "D(conditional_d_input(x, y_fake))"),
        ("    loss_d.backward()\n", "    loss_d.backward(retain_graph=True)\n")]
