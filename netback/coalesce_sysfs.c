// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/class/net/vifX.Y/xen_coalesce/: the VIF's latency class and class
 * B's budget (put in force by coalesce_class.c), and the coalescing the
 * frontend is asked to use without a class (published in xenstore).
 */
/* First: common.h sets pr_fmt before anything includes printk.h. */
#include "common.h"

#include <linux/netdevice.h>
#include <linux/sysfs.h>
#include <xen/xenbus.h>

static struct xenvif *xenvif_from_dev(struct device *d)
{
	return netdev_priv(to_net_dev(d));
}

/* The netdev's parent is the backend's xenbus device (xenvif_alloc()). */
static struct xenbus_device *xenvif_xenbus_dev(struct device *d)
{
	return to_xenbus_device(to_net_dev(d)->dev.parent);
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
	struct xenvif *vif = xenvif_from_dev(d);
	enum xcoal_class class;
	int err;

	if (xcoal_class_parse(buf, len, &class)) {
		netdev_info(to_net_dev(d),
			    "coalesce class refused: write none, A, B or C\n");
		return -EINVAL;
	}
	err = xenvif_coalesce_set_class(vif, xenvif_xenbus_dev(d), &class, NULL);
	return err ? err : len;
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
	struct xenvif *vif = xenvif_from_dev(d);
	const char *why;
	u32 budget;
	int err;

	if (xcoal_budget_parse(buf, len, &budget, &why)) {
		netdev_info(to_net_dev(d), "coalesce budget refused: %s\n", why);
		return -EINVAL;
	}
	/* The class in force is re-planned with the new budget. */
	err = xenvif_coalesce_set_class(vif, xenvif_xenbus_dev(d), NULL, &budget);
	return err ? err : len;
}
static DEVICE_ATTR_RW(budget_us);

static ssize_t frontend_show(struct device *d, char *buf,
			     enum xenvif_coalesce_frontend_field field)
{
	return sysfs_emit(buf, "%u\n",
			  xenvif_coalesce_get_frontend(xenvif_from_dev(d), field));
}

static ssize_t frontend_store(struct device *d, const char *buf, size_t len,
			      enum xenvif_coalesce_frontend_field field)
{
	int err;
	u32 v;

	if (xcoal_u32_parse(buf, len, &v)) {
		netdev_info(to_net_dev(d),
			    "frontend coalesce refused: not a decimal number\n");
		return -EINVAL;
	}
	err = xenvif_coalesce_set_frontend(xenvif_from_dev(d),
					   xenvif_xenbus_dev(d), field, v);
	return err ? err : len;
}

#define XENVIF_FRONTEND_ATTR(name, field)					\
static const enum xenvif_coalesce_frontend_field name##_field = field;	\
static ssize_t name##_show(struct device *d, struct device_attribute *attr,	\
			   char *buf)						\
{										\
	return frontend_show(d, buf, name##_field);				\
}										\
static ssize_t name##_store(struct device *d, struct device_attribute *attr,	\
			    const char *buf, size_t len)			\
{										\
	return frontend_store(d, buf, len, name##_field);			\
}										\
static DEVICE_ATTR_RW(name)

XENVIF_FRONTEND_ATTR(frontend_tx_usecs, XENVIF_FRONTEND_TX_USECS);
XENVIF_FRONTEND_ATTR(frontend_tx_frames, XENVIF_FRONTEND_TX_FRAMES);
XENVIF_FRONTEND_ATTR(frontend_rx_usecs, XENVIF_FRONTEND_RX_USECS);
XENVIF_FRONTEND_ATTR(frontend_rx_frames, XENVIF_FRONTEND_RX_FRAMES);

static ssize_t frontend_follows_show(struct device *d,
				     struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  xenvif_coalesce_frontend_follows(xenvif_xenbus_dev(d)));
}
static DEVICE_ATTR_RO(frontend_follows);

static struct attribute *xenvif_coalesce_attrs[] = {
	&dev_attr_class.attr,
	&dev_attr_budget_us.attr,
	&dev_attr_frontend_tx_usecs.attr,
	&dev_attr_frontend_tx_frames.attr,
	&dev_attr_frontend_rx_usecs.attr,
	&dev_attr_frontend_rx_frames.attr,
	&dev_attr_frontend_follows.attr,
	NULL,
};

const struct attribute_group xenvif_coalesce_group = {
	.name = "xen_coalesce",
	.attrs = xenvif_coalesce_attrs,
};
