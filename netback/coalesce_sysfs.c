// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/class/net/vifX.Y/xen_coalesce/: the VIF's latency class and class
 * B's budget. Stored here; the classes' semantics build on them.
 */
/* First: common.h sets pr_fmt before anything includes printk.h. */
#include "common.h"

#include <linux/netdevice.h>
#include <linux/sysfs.h>

static struct xenvif *xenvif_from_dev(struct device *d)
{
	return netdev_priv(to_net_dev(d));
}

static ssize_t class_show(struct device *d, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  xcoal_class_name(READ_ONCE(xenvif_from_dev(d)->coal_cfg.class)));
}

static ssize_t class_store(struct device *d, struct device_attribute *attr,
			   const char *buf, size_t len)
{
	enum xcoal_class class;

	if (xcoal_class_parse(buf, len, &class)) {
		netdev_info(to_net_dev(d),
			    "coalesce class refused: write none, A, B or C\n");
		return -EINVAL;
	}
	WRITE_ONCE(xenvif_from_dev(d)->coal_cfg.class, class);
	return len;
}
static DEVICE_ATTR_RW(class);

static ssize_t budget_us_show(struct device *d, struct device_attribute *attr,
			      char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(xenvif_from_dev(d)->coal_cfg.budget_us));
}

static ssize_t budget_us_store(struct device *d, struct device_attribute *attr,
			       const char *buf, size_t len)
{
	const char *why;
	u32 budget;

	if (xcoal_budget_parse(buf, len, &budget, &why)) {
		netdev_info(to_net_dev(d), "coalesce budget refused: %s\n", why);
		return -EINVAL;
	}
	WRITE_ONCE(xenvif_from_dev(d)->coal_cfg.budget_us, budget);
	return len;
}
static DEVICE_ATTR_RW(budget_us);

static struct attribute *xenvif_coalesce_attrs[] = {
	&dev_attr_class.attr,
	&dev_attr_budget_us.attr,
	NULL,
};

const struct attribute_group xenvif_coalesce_group = {
	.name = "xen_coalesce",
	.attrs = xenvif_coalesce_attrs,
};
