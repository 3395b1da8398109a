// SPDX-License-Identifier: GPL-2.0
/*
 * miireg IFNAME REG...
 *
 * Prints each PHY register REG (0-31) of IFNAME as 4 hex digits, one per
 * line, read with SIOCGMIIPHY and SIOCGMIIREG as mii-tool does (BusyBox
 * has no mii-tool).
 */
#include <linux/mii.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct mii_ioctl_data *mii;
	struct ifreq ifr;
	int fd, i;

	if (argc < 3) {
		fprintf(stderr, "usage: miireg IFNAME REG...\n");
		return 2;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, argv[1], IFNAMSIZ - 1);
	mii = (struct mii_ioctl_data *)&ifr.ifr_data;
	if (ioctl(fd, SIOCGMIIPHY, &ifr) < 0) {
		perror("SIOCGMIIPHY");
		return 1;
	}
	for (i = 2; i < argc; i++) {
		mii->reg_num = strtoul(argv[i], NULL, 0);
		if (ioctl(fd, SIOCGMIIREG, &ifr) < 0) {
			perror("SIOCGMIIREG");
			return 1;
		}
		printf("%04x\n", mii->val_out);
	}
	close(fd);
	return 0;
}
