"""The latent concatenated as [z_M, ..., z_C], motion first: DLHacks/mocogan's train.py builds
z = cat((z_M, z_C), 2), while the lab (and the paper's z = [z_C, z_M]) put the content first."""
EXERCISE = "MoCoGANGenerator"
EXPECT = "order"
EDIT = [("        return torch.cat(parts, dim=2)", "        return torch.cat(parts[::-1], dim=2)")]
