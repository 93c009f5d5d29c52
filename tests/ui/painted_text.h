#pragma once

#include <QBuffer>
#include <QByteArray>
#include <QPainter>
#include <QSize>
#include <QString>
#include <QSvgGenerator>
#include <QXmlStreamReader>

namespace timeslice::test {

// Every piece of text a painting writes, read back from an SVG of it.
template <typename Paint>
QString painted_text(QSize size, Paint paint)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setSize(size);
    QPainter p(&svg);
    paint(p);
    p.end();
    QXmlStreamReader xml(bytes);
    QString text;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isCharacters())
            text += xml.text().toString() + QLatin1Char(' ');
    }
    return text.simplified();
}


} // namespace timeslice::test
